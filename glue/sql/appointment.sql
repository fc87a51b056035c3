-- resource_type: Appointment
-- Curates Appointment resources into the appointment table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  json_extract_string(json, '$.status') AS "status",
  regexp_extract(json_extract_string(json, '$.participant[0].actor.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.serviceType[0].coding[0].code') AS "service_type_code",
  json_extract_string(json, '$.start') AS "start_time",
  json_extract_string(json, '$.end') AS "end_time",
  json_extract_string(json, '$.appointmentType.coding[0].code') AS "appointment_type_code",
  json_extract_string(json, '$.minutesDuration') AS "minutes_duration",
  json_extract_string(json, '$.identifier[0].value') AS "placer_id",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Appointment'
