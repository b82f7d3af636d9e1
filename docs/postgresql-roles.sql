-- Ecomap on PostgreSQL: the role the app connects as, which does not own the tables.
--
-- Run this as the role that owns the database (the one `python -m ecomap db upgrade` runs as),
-- after each upgrade, with your own password in place of the one below:
--
--     psql "$OWNER_URL" -f docs/postgresql-roles.sql
--
-- Then the app (every Streamlit server) connects as ecomap_app in ECOMAP_DATABASE_URL, e.g.
-- postgresql+psycopg://ecomap_app:PASSWORD@db.example/ecomap, and the operator's commands that
-- upgrade the schema or purge records past their retention date connect as the owner.
--
-- What the app may do: read everything; add versions and audit entries, never change or remove
-- one (the tables' triggers refuse that too, even to their owner, but for a purge); keep people,
-- maps, counts, users, teams and memberships current; never remove a person, a map or its counts
-- (only a purge does, as the owner).

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ecomap_app') THEN
    CREATE ROLE ecomap_app LOGIN PASSWORD 'change this password';
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO ecomap_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ecomap_app;

GRANT SELECT ON alembic_version TO ecomap_app;
GRANT SELECT, INSERT ON audit, map_versions TO ecomap_app;
GRANT SELECT, INSERT, UPDATE ON users, teams, people, maps, map_facts TO ecomap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, version_labels TO ecomap_app;
GRANT USAGE ON SEQUENCE audit_id_seq, memberships_id_seq TO ecomap_app;
