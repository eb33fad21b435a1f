# Debian packages: `cpack -G DEB` in the build directory (README.md, "Install
# the .deb"; tested by tests/packaging/tst_package.sh). One package per
# install component:
#   vigil              gui     the desktop application, menu entry, metainfo, icons
#   vigilctl           ctl     the command line, its man page and bash completion
#   vigil-job          helper  the static job-side helper and its man page
#   python3-vigil-job  python  vigil_job.py for Python training code
# Included from the top-level CMakeLists.txt after every install() rule.

# vigilctl is defined in app/CMakeLists.txt; its install rules live here.
install(TARGETS vigilctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ctl)
vigil_install_man(packaging/vigilctl.1 COMPONENT ctl)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/vigilctl.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
    RENAME vigilctl COMPONENT ctl)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "Vigil")
set(CPACK_PACKAGE_CONTACT "Vigil maintainers <vigil@example.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# dpkg-shlibdeps (dpkg-dev) is looked for when cpack runs, not here:
# cmake/VigilCPackOptions.cmake.
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/VigilCPackOptions.cmake)

set(CPACK_DEBIAN_GUI_PACKAGE_NAME vigil)
set(CPACK_DEBIAN_CTL_PACKAGE_NAME vigilctl)
set(CPACK_DEBIAN_HELPER_PACKAGE_NAME vigil-job)
set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-vigil-job)
# Qt loads these as plugins: dpkg-shlibdeps cannot see them (libqt6svg6: the
# SVG image plugin, for SVG attachments in the review dialog).
set(CPACK_DEBIAN_GUI_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins, libqt6svg6")
set(CPACK_DEBIAN_CTL_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_GUI_PACKAGE_RECOMMENDS "vigilctl, openssh-client")
set(CPACK_DEBIAN_CTL_PACKAGE_RECOMMENDS "openssh-client")
set(CPACK_DEBIAN_CTL_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "python3")
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)

include(CPack)

cpack_add_component(helper DISPLAY_NAME "vigil-job"
    DESCRIPTION [[Vigil's job-side helper
vigil-job posts human checkpoints from a job, waits for decisions, logs
metrics and runs tasks. Statically linked: it starts on any x86-64 Linux
node. Vigil uploads it to the sites it supervises.]])
cpack_add_component(ctl DISPLAY_NAME "vigilctl" DEPENDS helper
    DESCRIPTION [[Supervise AI workflows on HPC clusters from a terminal
vigilctl launches and follows Vigil workflows on SLURM clusters, SSH hosts
and the local machine, lists jobs, runs and checkpoints and writes
decisions, without a display.]])
cpack_add_component(gui DISPLAY_NAME "Vigil" DEPENDS helper
    DESCRIPTION [[Supervise AI workflows on HPC clusters, SSH hosts and the desktop
Vigil follows AI training and inference workflows on SLURM clusters, SSH
hosts and the local machine. A job can pause at a human checkpoint while
it keeps computing: Vigil notifies the supervisor, shows the question and
its metrics, and writes the decision back to the job.]])
cpack_add_component(python DISPLAY_NAME "vigil_job (Python)"
    DESCRIPTION [[Vigil's run-directory protocol for Python training code
The vigil_job module posts checkpoints, reads decisions and logs metrics
from Python jobs, with the same files and rules as vigil-job (standard
library only).]])
