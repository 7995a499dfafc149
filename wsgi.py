"""The one module-level application, for `flask` (FLASK_APP defaults here) and gunicorn (wsgi:app)."""

from carertrack import create_app

app = create_app()
