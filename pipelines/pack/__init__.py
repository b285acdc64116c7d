"""The regulator pack: `write_pack` for the dashboard and the nightly job; `ropa export`.

A pack is one folder holding (its pack id, made by `new_pack_id`, is its own and is on the cover,
in the manifest and in changes.*, whatever the folder is called; the nightly job keeps its packs
as `<warehouse>/packs/<pack_id>/`):

- `ropa.xlsx`: sheets Controller (ICO template layout), Processor, Recipients, Transfers,
  Retention schedule, (internal copy) Findings, and Notes; every sheet landscape, fit to width,
  header row repeated; every text an explicit text cell (`safe_text.py`);
- `ropa.pdf`: cover, contents, one section per activity, processor records, recipients,
  transfers, retention schedule, (internal copy) findings, how the record was made: every column
  of the workbook (`tables.py` defines both);
- `processor/<customer_key>.pdf` and `.xlsx`: one customer's Art. 30(2) record alone;
- `ropa.json` (valid against `ropa.schema.json`), `controller.csv`, `processor.csv`;
- `changes.json` and `changes.md`: since the newest kept pack of an earlier run (another
  `run_id` in its manifest) or `since`;
- (internal copy) `findings.json` (checks.md);
- `signing_key.pub`: the organisation's Ed25519 public key (`signing.py`);
- `manifest.json`: ids, audience, run id, dates, drop fingerprint, the signing key's fingerprint
  and the SHA-256 of every other file; `manifest.json.sig`: its signature (`ropa verify DIR`
  checks both).

Two audiences: "regulator" (the default of `ropa export`) is the record alone (Art. 30(4));
"internal" (the nightly job's copy) adds findings.json, the Findings sheet, the evidence columns
(the schema's properties marked "x-evidence") and the register's keys and codes ("x-internal-key":
fides_keys, rule, vendor and customer keys, ISO periods, role and category codes, each beside a
column that says the same in words). The regulator's copy holds words only; the file names
`processor/<customer_key>.*` are the one place its customer keys show. Only the columns that
ropa.schema.json lists for the audience leave the warehouse: categories, counts and the
organisation's own contacts, never record-level data.
"""

from pipelines.pack.identity import new_pack_id
from pipelines.pack.writer import PackResult, write_pack

__all__ = ["PackResult", "new_pack_id", "write_pack"]
