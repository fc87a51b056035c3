-- resource_type: ServiceRequest
-- Curates ServiceRequest resources into the service_request table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  regexp_extract(json_extract_string(json, '$.encounter.reference'), '[^/]+$') AS "encounter_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.intent') AS "intent",
  json_extract_string(json, '$.identifier[0].value') AS "placer_order",
  json_extract_string(json, '$.code.coding[0].system') AS "code_system",
  json_extract_string(json, '$.code.coding[0].code') AS "code",
  json_extract_string(json, '$.authoredOn') AS "authored_on",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'ServiceRequest'
