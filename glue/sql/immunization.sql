-- resource_type: Immunization
-- Curates Immunization resources into the immunization table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.patient.reference'), '[^/]+$') AS "patient_id",
  regexp_extract(json_extract_string(json, '$.encounter.reference'), '[^/]+$') AS "encounter_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.vaccineCode.coding[0].system') AS "vaccine_system",
  json_extract_string(json, '$.vaccineCode.coding[0].code') AS "vaccine_code",
  coalesce(json_extract_string(json, '$.occurrenceDateTime'), json_extract_string(json, '$.occurrenceString')) AS "occurrence",
  json_extract_string(json, '$.lotNumber') AS "lot_number",
  json_extract_string(json, '$.doseQuantity.value') AS "dose_value",
  json_extract_string(json, '$.doseQuantity.unit') AS "dose_unit",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Immunization'
