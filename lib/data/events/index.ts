/**
 * Minority events in the database, one module per job: ingest, views, actions, pipeline
 * health, schedules (weekend mode). New code imports the module it uses.
 */
export { ingestEventLogRows, type LogIngestSummary } from "./ingest";
export { eventEntryCount, eventsView, exportEventsCsv, getEventDetail, getReportDetail, type EventTimelineItem, type EventsView } from "./views";
export { actOnEvent } from "./actions";
export { eventPipelineHealth, type EventPipelineHealth } from "./pipeline-health";
export { currentWeekendConfig, editLogEntryOf, runWeekendAutomation, saveWeekendConfig, startWeekendAutomation } from "./schedules";
