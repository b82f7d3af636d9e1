"""What the Streamlit pages share: the store, the session's language, the sidebar.

Only ``streamlit_app.py``, ``pages/`` and this package know about Streamlit.
"""
