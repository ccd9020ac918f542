// PII masking for callers without the PII right (API keys, job results): the NIK's birth-date
// digits and the mother's name are hidden, everything that tells records apart stays.
#pragma once

#include <string>
#include <string_view>

namespace padan {

// "3201011705800003" → "320101******0003": the kecamatan and serial stay (officers use them to
// tell records apart), the DDMMYY that gives away birth date and sex is hidden. Text that is
// not 16 digits is hidden whole ("****"), and "" stays "".
std::string MaskNik(std::string_view nik);
// "Sumarni" → "S***": the first letter only, and always three stars, so the length is hidden.
std::string MaskName(std::string_view name);

}  // namespace padan
