-- resource_type: MedicationRequest
-- Curates MedicationRequest resources into the medication_request table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  regexp_extract(json_extract_string(json, '$.encounter.reference'), '[^/]+$') AS "encounter_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.intent') AS "intent",
  json_extract_string(json, '$.medicationCodeableConcept.coding[0].code') AS "medication_code",
  json_extract_string(json, '$.authoredOn') AS "authored_on",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'MedicationRequest'
