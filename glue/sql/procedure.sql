-- resource_type: Procedure
-- Curates Procedure resources into the procedure table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  regexp_extract(json_extract_string(json, '$.encounter.reference'), '[^/]+$') AS "encounter_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.code.coding[0].system') AS "code_system",
  json_extract_string(json, '$.code.coding[0].code') AS "code",
  coalesce(json_extract_string(json, '$.performedDateTime'), json_extract_string(json, '$.performedPeriod.start')) AS "performed",
  json_extract_string(json, '$.code.text') AS "code_text",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Procedure'
