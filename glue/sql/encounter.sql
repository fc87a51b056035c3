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
  json_extract_string(json, '$.identifier[0].value') AS "visit_number",
  json_extract_string(json, '$.priority.coding[0].code') AS "priority_code",
  json_extract_string(json, '$.hospitalization.admitSource.coding[0].code') AS "admit_source_code",
  json_extract_string(json, '$.hospitalization.dischargeDisposition.coding[0].code') AS "discharge_disposition_code",
  json_extract_string(json, '$.reasonCode[0].coding[0].code') AS "reason_code",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Encounter'
