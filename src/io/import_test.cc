#include <gtest/gtest.h>
// stub: tests land with the stage
