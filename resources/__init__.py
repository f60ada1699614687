"""Data shipped with ictappraise: sample catalogs, the 2022 round, translations."""
