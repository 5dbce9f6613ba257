"""French full-text search on PostgreSQL.

A ``french_unaccent`` configuration (French stemming after accent removal, so that
"reindustrialisation" finds "réindustrialisation"), a weighted ``search_vector`` (title A,
kicker and lead B, body C) kept current by a trigger whatever writes the row (import, admin,
bulk operations), and a GIN index on it.
"""

from django.db import migrations

from territories.db import PostgreSQLOnly

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
CREATE OR REPLACE FUNCTION news_article_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.kicker, '')), 'B')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.lead, '')), 'B')
        || setweight(to_tsvector('french_unaccent', coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS news_article_search_vector_trigger ON news_article;
CREATE TRIGGER news_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, kicker, lead, body ON news_article
    FOR EACH ROW EXECUTE FUNCTION news_article_search_vector_update();
CREATE INDEX IF NOT EXISTS news_article_search_vector_gin
    ON news_article USING gin (search_vector);
UPDATE news_article SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS news_article_search_vector_gin;
DROP TRIGGER IF EXISTS news_article_search_vector_trigger ON news_article;
DROP FUNCTION IF EXISTS news_article_search_vector_update();
"""


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
