"""The ledger's Alembic environment (env.py) and revisions (versions/); migrations.py runs them."""
