def resolve_store(store):
    pass
