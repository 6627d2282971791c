/** The machine report behind {@code dlstation info}: host, JVM, engine, GPUs and warnings. */
package io.dlstation.info;
