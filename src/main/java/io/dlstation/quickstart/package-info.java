/** The first-run tour behind {@code dlstation quickstart}. */
package io.dlstation.quickstart;
