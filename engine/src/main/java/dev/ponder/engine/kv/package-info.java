/**
 * The engine's KV memory manager: a paged KV cache (vLLM's PagedAttention: fixed-size blocks, block
 * tables, reference counts, copy-on-write) with a block-granular prefix cache (SGLang's RadixAttention:
 * radix tree over token ids, LRU eviction of unreferenced leaves). Plain Java bookkeeping of slot
 * ownership; the model's {@code KvPool} holds the tensors, indexed by the slots handed out here.
 *
 * <p>Threading: one scheduler thread owns {@link dev.ponder.engine.kv.KvMemory}, its pool, cache and
 * sequences; {@link dev.ponder.engine.kv.KvMemory#stats()} is a volatile snapshot readable anywhere.
 */
package dev.ponder.engine.kv;
