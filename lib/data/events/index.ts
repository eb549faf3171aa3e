/**
 * Minority events in the database, one module per job: ingest, views, actions, pipeline
 * health, schedules (weekend mode). New code imports the module it uses.
 */
export { ingestEventLogRows } from "./ingest";
export { eventEntryCount, eventsView, exportEventsCsv, getEventDetail, getReportDetail, type EventTimelineItem } from "./views";
export { actOnEvent } from "./actions";
export { eventPipelineHealth } from "./pipeline-health";
export { editLogEntryOf, runWeekendAutomation, saveWeekendConfig, startWeekendAutomation } from "./schedules";
