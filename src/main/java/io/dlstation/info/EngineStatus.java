package io.dlstation.info;

import io.dlstation.engine.EngineReport;

/**
 * The engine part of the machine report: what started, or why nothing did.
 *
 * @param report the started engine; null when it failed
 * @param error why it failed; null when it started
 */
record EngineStatus(EngineReport report, String error) {}
