-- resource_type: AllergyIntolerance
-- Curates AllergyIntolerance resources into the allergy_intolerance table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.patient.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.clinicalStatus.coding[0].code') AS "clinical_status",
  json_extract_string(json, '$.verificationStatus.coding[0].code') AS "verification_status",
  json_extract_string(json, '$.category[0]') AS "category",
  json_extract_string(json, '$.criticality') AS "criticality",
  json_extract_string(json, '$.code.coding[0].system') AS "code_system",
  json_extract_string(json, '$.code.coding[0].code') AS "code",
  json_extract_string(json, '$.recordedDate') AS "recorded_date",
  json_extract_string(json, '$.code.text') AS "code_text",
  json_extract_string(json, '$.reaction[0].manifestation[0].text') AS "reaction_text",
  json_extract_string(json, '$.onsetDateTime') AS "onset",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'AllergyIntolerance'
