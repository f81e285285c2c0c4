/*
 * readme_example.cpp - the README's example (core/examples/readme_example.c)
 * compiled as C++, unchanged: the C file is included here.
 */
#include "../../examples/readme_example.c"
