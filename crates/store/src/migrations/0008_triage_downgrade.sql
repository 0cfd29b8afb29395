-- A final level less urgent than the computed one (which includes Bedside's vital-sign safety
-- floor) is a downgrade: marked on the board and in the record. Derived from the stored levels,
-- so it cannot disagree with them or be written by a client.
ALTER TABLE encounters ADD COLUMN downgraded INTEGER
    GENERATED ALWAYS AS (final_esi > computed_esi OR final_cn > computed_cn) VIRTUAL;
