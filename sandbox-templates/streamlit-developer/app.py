import streamlit as st

st.title("codingit streamlit sandbox")
st.write("Replace app.py with your app.")
