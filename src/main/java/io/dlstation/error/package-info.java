/** The product's error type and the single mapping from errors to exit codes and HTTP statuses. */
package io.dlstation.error;
