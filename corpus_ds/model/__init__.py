"""The model: typed records, label sets, the JSON Schema, problems, and derived views
(zones, sentences and tokens) that every stage shares."""
