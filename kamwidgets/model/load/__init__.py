"""The loader: a portfolio file on its way in, one stage per module, in the order a file goes through them.

1. ``_bytes``   what the source is (path, upload, DataFrame), its name in messages, its size and kind
2. ``_text``    a CSV's bytes as UTF-8 (the encoding guessed when it is not UTF-8)
3. ``_tabular`` the CSV dialect or the Excel sheet, read into a DataFrame with its header row
4. ``_fields``  which header is which field (one rule for comparing headers, synonyms in several languages)
5. ``_numbers`` amounts, percentages and dates read from cells as people write them
6. ``_accounts`` a portfolio checked (one row per account); ``_lines`` order lines as numbers (a big CSV read
   in chunks); ``_transactions`` orders summed to accounts

``_preview`` is what the DataPicker reads before the user confirms.  The public names are
re-exported by :mod:`kamwidgets.model.io`; ``docs/loading.md`` tells the stages for maintainers.
"""
