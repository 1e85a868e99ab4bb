-- Reference data every installation needs, demonstration or not: the CNAM answers every request about
-- the SNDS as a whole (it links the NIR to the pseudonyms: CSP R1461-3 II 3° b), so rights requests always have it as a recipient.
INSERT OR IGNORE INTO `organisations` (`id`, `name`, `siren`, `kind`, `website`, `description`, `created_at`, `updated_at`)
VALUES ('cnam', 'Caisse nationale de l’assurance maladie (CNAM)', NULL, 'caisse_assurance_maladie', 'https://www.ameli.fr/', 'Elle gère le Système national des données de santé (SNDS) et répond aux demandes qui portent sur l’ensemble de ses données.', '2026-11-22T00:00:00.000Z', '2026-11-22T00:00:00.000Z');
