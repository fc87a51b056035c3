-- resource_type: Observation
-- Curates Observation resources into the observation table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  regexp_extract(json_extract_string(json, '$.encounter.reference'), '[^/]+$') AS "encounter_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.code.coding[0].system') AS "code_system",
  json_extract_string(json, '$.code.coding[0].code') AS "code",
  json_extract_string(json, '$.code.text') AS "code_text",
  TRY_CAST(json_extract_string(json, '$.valueQuantity.value') AS DOUBLE) AS "value_number",
  coalesce(json_extract_string(json, '$.valueQuantity.code'), json_extract_string(json, '$.valueQuantity.unit')) AS "value_unit",
  coalesce(json_extract_string(json, '$.valueString'), json_extract_string(json, '$.valueCodeableConcept.coding[0].code'), json_extract_string(json, '$.valueCodeableConcept.text'), json_extract_string(json, '$.valueDateTime')) AS "value_text",
  coalesce(json_extract_string(json, '$.effectiveDateTime'), json_extract_string(json, '$.effectivePeriod.start'), json_extract_string(json, '$.effectiveInstant')) AS "effective",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Observation'
