-- Full-text search of the register on PostgreSQL (server/db/pg/register-search.ts). unaccent folds
-- accents and ligatures ("cœur" is "coeur"); it is a trusted extension, so the database's owner creates
-- it without being a superuser (a managed service's usual role). Two text search configurations:
-- fr_unaccent, French with unaccent before the Snowball stemmer, for the stems a whole word matches by;
-- fr_unaccent_words, no stemming and no stop words, for the words as written, which a word being typed
-- matches as a prefix ("hospitalisati").
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = pg_catalog.french);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION fr_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION fr_unaccent_words (COPY = pg_catalog.simple);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION fr_unaccent_words ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
