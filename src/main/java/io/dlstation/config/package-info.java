/**
 * dlstation.yaml read into immutable records, with errors that name the file, line and field.
 *
 * <p>The door: {@link io.dlstation.config.ConfigLoader} reads a file into a {@link
 * io.dlstation.config.DlstationConfig}; the other public records are its sections, which the
 * capabilities read (EngineConfig; ServeConfig; MonitorConfig with AlertRuleConfig, AlertMetric,
 * NotifiersConfig and WebhookConfig; MaintenanceConfig with RetentionConfig and BackupConfig). {@link
 * io.dlstation.config.DurationText} parses durations for flags too, and {@link
 * io.dlstation.config.YamlErrors} words a YAML error in the product's other YAML files (a model
 * folder's model.yaml).
 *
 * <p>Configuration sits below the capabilities that read it: it imports the engine's device spec,
 * {@code maintain.task}'s values and {@code files}' path checks, never monitor, serve or maintain.
 */
package io.dlstation.config;
