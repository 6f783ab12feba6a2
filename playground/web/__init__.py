"""The page's helpers: session state, panels, formatting and plotly figures (Streamlit-aware)."""
