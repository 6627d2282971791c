/** dlstation.yaml read into immutable records, with errors that name the file, line and field. */
package io.dlstation.config;
