// SwiftPM needs a source file in a C target; everything lives in include/CSystemShims.h.
#include "CSystemShims.h"
