-- resource_type: Encounter
-- Curates Encounter resources into the encounter table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.class.code') AS "class_code",
  json_extract_string(json, '$.type[0].coding[0].code') AS "type_code",
  json_extract_string(json, '$.period.start') AS "period_start",
  json_extract_string(json, '$.period.end') AS "period_end",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Encounter'
