package io.dlstation.engine.libtorch;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;

/** The loaded libtorch does not export a function a binding needs (a very old or very new PyTorch). */
final class LibTorchSymbolMissingException extends DlstationException {
    LibTorchSymbolMissingException(String what, String symbol, String library, Throwable cause) {
        super(ErrorCode.INTERNAL, "the loaded libtorch (" + library + ") does not export " + what + " (" + symbol
                + "); use a PyTorch from 2.1 to 2.11, or leave this switch at its default", cause);
    }
}
