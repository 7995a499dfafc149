"""Spreadsheet import: councils' tracker spreadsheets into CarerTrack (CONTRACTS.md section 1).

readers.py reads a .csv or .xlsx into header and rows; columns.py reads cells into values; one
module per KIND (cases, households, people, staying_put) checks rows and writes records; engine.py
runs an import all or nothing; commands.py and routes.py are the command line and the web pages.
"""
