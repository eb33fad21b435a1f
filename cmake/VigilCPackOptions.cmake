# Read by cpack (CPACK_PROJECT_CONFIG_FILE, cmake/VigilPackaging.cmake) when it
# runs: the shared-library dependencies of vigil and vigilctl come from
# dpkg-shlibdeps (Debian: dpkg-dev) when it is there, else from this list.
# Each package's description (cpack_add_component in VigilPackaging.cmake)
# starts with its own summary line; without this CPackDeb would put the
# project's summary in front of every one.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")

find_program(VIGIL_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(VIGIL_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_GUI_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_CTL_PACKAGE_SHLIBDEPS ON)
else()
    message(STATUS "dpkg-shlibdeps (dpkg-dev) not found: Depends from a fixed list")
    set(_vigil_core_libs "libc6, libstdc++6, libqt6core6, libqt6network6, libqt6sql6, libssh-4, libtomlplusplus3, libarchive13")
    string(APPEND CPACK_DEBIAN_CTL_PACKAGE_DEPENDS ", ${_vigil_core_libs}")
    string(APPEND CPACK_DEBIAN_GUI_PACKAGE_DEPENDS ", ${_vigil_core_libs}, libqt6gui6, libqt6widgets6, libqt6charts6, libqt6dbus6, libqt6opengl6, libqt6openglwidgets6, libqt6keychain1")
endif()
