/** The picocli commands: wiring of the capabilities, no logic of their own. */
package io.dlstation.cli;
