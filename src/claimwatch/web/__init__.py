"""The claimwatch web app (FastAPI): `create_app(db_path, write_token=None)` and `serve(db_path, host, port)`."""
from .app import create_app, serve

__all__ = ["create_app", "serve"]
