/** Files written whole: a temporary beside the target, then an atomic rename. */
package io.dlstation.files;
