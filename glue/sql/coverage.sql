-- resource_type: Coverage
-- Curates Coverage resources into the coverage table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.beneficiary.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.status') AS "status",
  regexp_extract(json_extract_string(json, '$.payor[0].reference'), '[^/]+$') AS "payor_id",
  json_extract_string(json, '$.type.coding[0].code') AS "type_code",
  json_extract_string(json, '$.period.start') AS "period_start",
  json_extract_string(json, '$.period.end') AS "period_end",
  json_extract_string(json, '$.subscriberId') AS "subscriber_id",
  json_extract_string(json, '$.relationship.coding[0].code') AS "relationship_code",
  json_extract_string(json, '$.class[0].value') AS "plan_value",
  json_extract_string(json, '$.payor[0].display') AS "payor_name",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Coverage'
