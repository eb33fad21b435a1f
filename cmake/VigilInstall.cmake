# Install helpers shared by the components of the Debian packages
# (cmake/VigilPackaging.cmake): man pages gzipped at build time.
include(GNUInstallDirs)

# vigil_install_man(packaging/NAME.SECTION COMPONENT comp): gzip -9n (no name,
# no time stamp: the same bytes on every build) into the build tree, then
# install to man/manSECTION.
function(vigil_install_man page)
    cmake_parse_arguments(M "" "COMPONENT" "" ${ARGN})
    get_filename_component(_name ${page} NAME)
    string(REGEX MATCH "[0-9]$" _section ${_name})
    set(_src ${PROJECT_SOURCE_DIR}/${page})
    set(_gz ${CMAKE_CURRENT_BINARY_DIR}/man/${_name}.gz)
    add_custom_command(OUTPUT ${_gz}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
        COMMAND sh -c "gzip -9n -c \"$1\" > \"$2\"" sh ${_src} ${_gz}
        DEPENDS ${_src}
        COMMENT "Compressing man page ${_name}"
        VERBATIM)
    string(MAKE_C_IDENTIFIER "man_${_name}" _target)
    add_custom_target(${_target} ALL DEPENDS ${_gz})
    install(FILES ${_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_section}
        COMPONENT ${M_COMPONENT})
endfunction()
