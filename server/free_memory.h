// Handing the memory freed while the data folder loaded back to the operating system.
#pragma once

namespace padan {

// Returns the allocator's free pages to the system: tcmalloc's page heap when the binary is
// linked with it (it keeps freed spans, so the load's temporary buffers, some 250 MB at
// 10 M persons, would stay resident), glibc's free chunks otherwise (malloc_trim).
void ReleaseFreeMemory();

}  // namespace padan
