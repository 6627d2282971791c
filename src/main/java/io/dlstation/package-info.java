/** dlstation: deep learning on a GPU workstation, in Java, on DJL's PyTorch engine. */
package io.dlstation;
