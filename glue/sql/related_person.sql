-- resource_type: RelatedPerson
-- Curates RelatedPerson resources into the related_person table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.patient.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.relationship[0].coding[0].code') AS "relationship_code",
  json_extract_string(json, '$.name[0].family') AS "family_name",
  json_extract_string(json, '$.name[0].given[0]') AS "given_name",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'RelatedPerson'
