"""Export: build the regulator pack and download it, or download one the nightly job kept."""

from pathlib import Path

import streamlit as st

from dashboards import packs
from dashboards.auth.gate import require_export
from dashboards.source import warehouse_dir
from pipelines.pack.record import AUDIENCES, PackSourceError
from pipelines.pack.signing import SigningKeyError

warehouse = warehouse_dir()
# The navigation already leaves this page out for a viewer; this holds even if it did not.
require_export(warehouse)
st.title("Export the regulator pack")
st.markdown(
    "The pack is a self-contained folder: the record as `ropa.xlsx` (ICO layout), `ropa.pdf`, "
    "one Art. 30(2) record per customer in `processor/`, CSV and JSON copies, the changes "
    "since an earlier pack, and a `manifest.json` with the SHA-256 of every file. It holds no "
    "record-level data. Two copies exist:\n\n"
    "- **Regulator's copy**: the record alone, what Art. 30(4) asks you to make available to "
    "the supervisory authority. No findings, record counts, file names or load times.\n"
    "- **Internal copy** (the DPO's): adds `findings.json`, a Findings sheet and the evidence "
    "columns (records held and overdue, open findings, source files and their load time). "
    "Keep it in-house."
)

audience = st.radio(
    "Copy",
    AUDIENCES,
    format_func=packs.AUDIENCE_LABELS.__getitem__,
    key="export_audience",
)
kept = packs.nightly_packs(warehouse)
since: Path | None = st.selectbox(
    "List changes since",
    [None, *kept],
    format_func=lambda pack: (
        f"pack {pack.name}"
        if pack
        else "the newest kept pack of an earlier run"
        if kept
        else "no earlier pack"
    ),
    key="export_since",
)
if st.button("Build the regulator pack", type="primary", key="export_build"):
    with st.spinner("Building the pack…"):
        try:
            st.session_state["export_archive"] = packs.build(warehouse, since, audience)
        except (PackSourceError, SigningKeyError, FileNotFoundError) as error:
            st.error(f"The pack could not be built: {error}")

archive: packs.PackArchive | None = st.session_state.get("export_archive")
if archive is not None:
    st.success(f"Pack `{archive.pack_id}` is ready: {packs.AUDIENCE_LABELS[archive.audience]}.")
    st.download_button(
        f"Download {archive.file_name}",
        archive.data,
        file_name=archive.file_name,
        mime="application/zip",
        key="export_download",
    )

st.subheader("Packs the nightly job kept")
st.caption("The nightly run keeps the internal copy: build the regulator's copy above to send it.")
if not kept:
    st.caption(f"None yet in `{warehouse / 'packs'}`.")
else:
    pack = st.selectbox(
        "Pack",
        kept,
        format_func=lambda path: f"{path.name} ({packs.audience_of(path)} copy)",
        key="export_kept",
    )
    kept_archive = packs.archive_of(pack)
    st.download_button(
        f"Download {kept_archive.file_name}",
        kept_archive.data,
        file_name=kept_archive.file_name,
        mime="application/zip",
        key="export_kept_download",
    )
