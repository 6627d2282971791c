/** Model definitions in DJL blocks. */
package io.dlstation.models;
