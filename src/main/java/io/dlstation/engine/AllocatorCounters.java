package io.dlstation.engine;

/**
 * What PyTorch's CUDA caching allocator reports for one device, in bytes: memory held by tensors
 * ({@code allocated}, as {@code torch.cuda.memory_allocated}) and memory taken from the driver to serve
 * them ({@code reserved}), now and at the peak since the last reset. NVML's figure for the process adds
 * the CUDA context and library workspaces on top of {@code reserved}.
 */
public record AllocatorCounters(long allocatedBytes, long peakAllocatedBytes, long reservedBytes,
        long peakReservedBytes) {}
