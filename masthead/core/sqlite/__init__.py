"""Django's SQLite backend, with kept connections that notice a replaced database file
(see base.py); the ENGINE `settings.py` names for SQLite."""
