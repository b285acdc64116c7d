"""The DPO dashboard: a read-only Streamlit app over the published warehouse (`ropa dashboard`)."""
