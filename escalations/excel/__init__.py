"""The published Excel workbook (``publish/excel/escalations.xlsx``): formatted tables of the marts'
aggregates, written into each version folder with the other outputs (docs/bi.md)."""
