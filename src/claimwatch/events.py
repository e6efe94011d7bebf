def extract_mentions(*a):
    return []
