/* The version of this build. */
#ifndef LIAISON_VERSION_H
#define LIAISON_VERSION_H
#define LIAISON_VERSION "0.1.0"
#endif
